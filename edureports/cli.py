"""The `edureports` command line.

Every command takes --data DIR (default ./data or $EDUREPORTS_DATA). With
--json, stdout carries JSON only; messages go to stderr. Exit status is 0 on
success and 2 on bad usage or bad input, with a one-line reason.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import click

from edureports import __version__
from edureports.settings import DEFAULT_DATA, DATA_ENV


class CLIError(click.ClickException):
    """A one-line error with exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


def data_option(func):
    return click.option(
        "--data",
        "data",
        envvar=DATA_ENV,
        default=DEFAULT_DATA,
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=f"Data dir holding the store (or ${DATA_ENV}).",
    )(func)


def json_option(func):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout and nothing else.")(func)


def _open_store(data: Path):
    from index.store import Store, StoreError

    try:
        return Store(data)
    except StoreError as exc:
        raise CLIError(str(exc)) from None


def _print_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _years(years: list[int]) -> str:
    return ",".join(str(y) for y in years) or "-"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="edureports")
def main() -> None:
    """Search, compare and extract figures from Chinese education work reports.

    \b
    Example:
      edureports ingest corpus/
      edureports docs
      edureports show 194934ab91d2
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--prune", is_flag=True, help="Also remove reports whose files no longer exist.")
@data_option
def ingest(paths: tuple[str, ...], prune: bool, data: Path) -> None:
    """Ingest report files and folders (recursively) into the store.

    Reads .txt/.md (any common Chinese encoding), .html, .docx and .pdf.
    Unchanged files are skipped, changed files replace their old reports,
    duplicates are stored once. A folder with some bad files ingests the
    good ones and lists the others with reasons.

    \b
    Example:
      edureports ingest corpus/ ~/archive/2021 --prune
    """
    from tqdm import tqdm

    from index.build import ingest_paths

    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise CLIError(f"no such file or folder: {missing[0]}")
    store = _open_store(data)

    def progress(files):
        bar = tqdm(files, desc="ingest", unit="file", file=sys.stderr, disable=None)
        for path, source in bar:
            bar.set_postfix_str(Path(source).name[-30:], refresh=False)
            yield path, source

    try:
        summary = ingest_paths(store, paths, prune_missing=prune, progress=progress)
    except KeyboardInterrupt:
        click.echo("interrupted: files ingested so far are kept, the file in progress was not written", err=True)
        sys.exit(130)
    except sqlite3.Error as exc:
        raise CLIError(f"the store in {data} cannot be written ({exc}); is another ingest running?") from None
    finally:
        store.close()
    for result in summary.results:
        if result.reason:
            click.echo(f"  {result.status}: {result.reason}", err=True)
    for source in summary.pruned:
        click.echo(f"  pruned: {source}", err=True)
    click.echo(summary.line(), err=True)
    single = len(paths) == 1 and Path(paths[0]).is_file()
    if single and summary.results and summary.results[0].status == "skipped":
        sys.exit(2)


@main.command()
@json_option
@data_option
def docs(as_json: bool, data: Path) -> None:
    """List ingested reports.

    \b
    Example:
      edureports docs --json
    """
    store = _open_store(data)
    rows = store.documents()
    store.close()
    if as_json:
        _print_json(rows)
        return
    if not rows:
        click.echo("no reports yet; add some with: edureports ingest PATH", err=True)
        return
    for r in rows:
        click.echo(
            f"{r['doc_id']:<15} {_years(r['years']):<10} {r['doc_type']:<5} {r['n_passages']:>4}  "
            f"{r['region'] or '-'}  {r['title']}"
        )


@main.command()
@click.argument("doc_id")
@json_option
@data_option
def show(doc_id: str, as_json: bool, data: Path) -> None:
    """Show one report: metadata, outline and every passage.

    DOC_ID may be shortened to any unique prefix.

    \b
    Example:
      edureports show 06606381c23e-2 --json
    """
    store = _open_store(data)
    full = store.resolve_doc_id(doc_id)
    doc = store.document(full, with_text=as_json) if full else None
    store.close()
    if doc is None:
        raise CLIError(f"no report with id {doc_id!r}; list the ids with: edureports docs")
    if as_json:
        _print_json(doc)
        return
    click.echo(doc["title"])
    click.echo(f"  id       {doc['doc_id']}")
    click.echo(f"  source   {doc['source']}")
    click.echo(f"  type     {'、'.join(doc['doc_types'])}")
    click.echo(f"  years    {_years(doc['years'])}")
    click.echo(f"  region   {doc['region'] or '-'} ({doc['level'] or 'level unknown'})")
    click.echo(f"  issuer   {doc['issuer'] or '-'}")
    if doc["themes"]:
        click.echo(f"  themes   {'、'.join(doc['themes'])}")
    if doc["outline"]:
        click.echo("\noutline")
        for s in doc["outline"]:
            click.echo(f"  {'  ' * s['level']}{s['marker']}{s['title']}")
    click.echo("\npassages")
    for p in doc["passages"]:
        click.echo(f"\n[{p['passage_id']}] {p['heading'] or '(no heading)'}  @{p['char_start']}-{p['char_end']}")
        click.echo(p["text"])


if __name__ == "__main__":  # pragma: no cover
    main()
