"""Commands for the theme taxonomy: themes, retag."""

from __future__ import annotations


import click

from edureports.cli import (  # noqa: F401 - the group and the shared helpers
    CLIError,
    _open_store,
    _print_json,
    data_option,
    json_option,
    main,
)


def themes_option(func):
    return click.option(
        "--themes", "taxonomy", envvar="EDUREPORTS_THEMES", default=None,
        type=click.Path(dir_okay=False, exists=True),
        help="主题表 TOML 文件（默认：随包提供的，或 $EDUREPORTS_THEMES）。",
    )(func)


@main.command()
@click.option("--suggest", is_flag=True, help="列出没有主题的段落里的关键短语。")
@click.option("--top", default=30, show_default=True, type=int, help="--suggest 列出多少个短语。")
@json_option
@data_option
def themes(suggest, top, as_json, data) -> None:
    """列出主题表及各主题的段落数和报告数。

    上级主题的计数包含其子主题的段落。

    \b
    示例：
      edureports themes
      edureports themes --suggest --top 20
    """
    from index.coverage import suggest as suggest_phrases

    from edureports.cli.archive import _readable

    store = _open_store(data)
    try:
        with _readable(store):
            rows = suggest_phrases(store, top) if suggest else [r.to_dict() for r in store.theme_counts()]
    finally:
        store.close()
    if as_json:
        _print_json(rows)
        return
    from edureports.cli.tables import Align, render

    if suggest:
        if not rows:
            click.echo("每个段落都有主题", err=True)
            return
        click.echo(render(["短语", "权重", "无主题段落数"],
                          [[r["phrase"], f"{r['weight']:.3f}", r["n_passages"]] for r in rows],
                          [Align.LEFT, Align.RIGHT, Align.RIGHT]))
        return
    if not rows:
        click.echo("还没有主题表；先导入报告，或运行 edureports retag", err=True)
        return
    # Children are indented under their parent; a parent's counts include its children's passages.
    click.echo(render(["主题", "段落数", "报告数", "说明"],
                      [[("  " if r["parent"] else "") + r["theme"], r["n_passages"], r["n_docs"], r["description"]]
                       for r in rows],
                      [Align.LEFT, Align.RIGHT, Align.RIGHT], shrink=[3]))


@main.command()
@themes_option
@click.option("--similarity-model", default=None,
              help="另用这个 sentence-transformers 模型（名称或路径）按与主题说明的相似度打分；默认不用。")
@data_option
def retag(taxonomy, similarity_model, data) -> None:
    """对所有已存段落重新标注主题（不重新导入，也不重新嵌入）。

    \b
    示例：
      edureports retag --themes my_themes.toml
      edureports retag --similarity-model BAAI/bge-small-zh-v1.5
    """
    from index.build import retag as run
    from index.embed import EmbedderError, SentenceTransformerEmbedder
    from ingest.themes import TaxonomyError

    from edureports.cli.archive import _readable

    store = _open_store(data)
    try:
        encoder = SentenceTransformerEmbedder(similarity_model) if similarity_model else None
        with _readable(store):
            n, tags = run(store, taxonomy, encoder)
    except (TaxonomyError, EmbedderError) as exc:
        raise CLIError(str(exc)) from None
    finally:
        store.close()
    click.echo(f"重新标注了 {n} 个段落：{tags} 个主题标签", err=True)
