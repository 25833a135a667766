"""Checks of a data dir: the database's own integrity check, each index file against its record, and the two in step.

`check` never repairs anything; each finding names the command that does
(`edureports recover` for the database, `edureports reindex` for index
files, a re-run of `edureports ingest` for an index left behind).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import numpy as np

from index import upkeep
from index.backends import keyword_retriever
from index.dense import DenseRetriever
from index.errors import SearchError
from index.lock import IngestLock
from index.store import CONFIG_NAME, DB_NAME, INDEX_FOLDER, RECOVER, Store, StoreError

REINDEX = "运行 edureports reindex 重建索引"


class Fix(str, Enum):
    """What repairs a finding, the heaviest first (the summary names the first one needed)."""

    RECOVER = "edureports recover"
    REINDEX = "edureports reindex"
    INGEST = "edureports ingest"
    NONE = ""


@dataclass(frozen=True)
class Finding:
    part: str  # 数据库, 索引记录, 关键词索引, 向量索引, 索引文件
    ok: bool
    message: str
    fix: Fix = Fix.NONE

    def line(self) -> str:
        return f"{self.part}：{self.message}"

    def to_dict(self) -> dict:
        return {"part": self.part, "ok": self.ok, "message": self.message, "fix": self.fix.value}


def _stale(stored: np.ndarray, indexed: np.ndarray) -> tuple[int, int]:
    return int((~np.isin(stored, indexed)).sum()), int((~np.isin(indexed, stored)).sum())


def check(data_dir: str | Path) -> list[Finding]:
    """Every finding about a data dir, the database first."""
    data = Path(data_dir)
    if not (data / DB_NAME).exists() and not (data / INDEX_FOLDER).exists() and not (data / CONFIG_NAME).exists():
        return [Finding("数据库", True, f"数据目录 {data} 还没有导入任何报告；用 edureports ingest 路径 导入")]
    try:
        store = Store(data)
    except StoreError as exc:
        return [Finding("数据库", False, str(exc), Fix.RECOVER)]
    try:
        return _check_store(store, data)
    finally:
        store.close()


def _check_store(store: Store, data: Path) -> list[Finding]:
    problems = store.integrity()
    if problems:
        more = f"（共 {len(problems)} 处）" if len(problems) > 1 else ""
        return [Finding("数据库", False, f"SQLite 完整性检查未通过：{problems[0]}{more}；{RECOVER}", Fix.RECOVER)]
    try:
        counts, stored = store.counts(), store.passage_ids()
    except Exception as exc:  # sqlite3.DatabaseError on a page the integrity check did not reach
        return [Finding("数据库", False, f"读取失败（{exc}）；{RECOVER}", Fix.RECOVER)]
    out = [Finding("数据库", True, f"完好：{counts['files']} 个文件、{counts['documents']} 篇报告、"
                                   f"{counts['passages']} 个段落")]
    if IngestLock(data).busy():  # the indexes are mid-write: comparing them now would report a false gap
        return out + [Finding("索引", True, "另一个导入正在写入，索引在它完成后才与数据库一致；"
                                           "导入完成后再运行 edureports check 核对索引")]
    folder = data / INDEX_FOLDER
    config = store.config()
    built = config.get("encoder")
    if not built:
        if counts["passages"]:
            out.append(Finding("索引记录", False, f"还没有建立索引；{REINDEX}", Fix.REINDEX))
        return out
    if not isinstance(built, dict) or not {"name", "dim"} <= built.keys():
        return out + [Finding("索引记录", False, f"{data / CONFIG_NAME} 中的索引记录已损坏；{REINDEX}", Fix.REINDEX)]
    complete = config.get("indexed_generation") is not None
    record = upkeep.read_record(folder)
    changed: list[str] = []
    if complete and record is None:  # without it a search cannot check the files it opens
        out.append(Finding("索引记录", False, f"{folder / upkeep.RECORD_NAME} 缺失或无法读取；{REINDEX}", Fix.REINDEX))
    if complete and record is not None and record.get("indexed_generation") == config.get("indexed_generation"):
        changed = upkeep.verify(folder)
        if changed:
            more = f"等 {len(changed)} 处" if len(changed) > 1 else ""
            out.append(Finding("索引文件", False, f"{changed[0]}{more}；{REINDEX}", Fix.REINDEX))
        else:
            files = len(record.get("files", {}))
            out.append(Finding("索引文件", True, f"{files} 个文件与记录一致（大小和校验和）"))
    damaged_files = [c.split(" ")[0] for c in changed]
    for part, open_index, is_dense in (
        ("关键词索引", lambda: keyword_retriever(config.get("keyword", "segments"), folder), False),
        ("向量索引", lambda: DenseRetriever(folder, lambda: None, built["dim"], built.get("kind", "flat")), True),
    ):
        if any(rel.startswith("vectors.") == is_dense for rel in damaged_files):
            continue  # named above; a loader may panic on a garbled file (tantivy does), so it is not opened
        try:
            ids = open_index().ids()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: B036 - a damaged file can make a loader panic (pyo3's PanicException)
            detail = (str(exc).splitlines() or [type(exc).__name__])[0]  # a panic's message runs on for lines
            out.append(Finding(part, False, detail if isinstance(exc, SearchError) and "edureports" in detail
                               else f"无法读取（{detail}）；{REINDEX}", Fix.REINDEX))
            continue
        added, removed = _stale(stored, ids)
        if added or removed:
            fix = "重新运行上次的 edureports ingest 命令（只补上缺少的部分），或" + REINDEX
            out.append(Finding(part, False, f"落后于数据库（{added} 个段落未建索引，{removed} 个已删除）；{fix}",
                               Fix.INGEST))
        else:
            out.append(Finding(part, True, f"与数据库一致（{len(ids)} 个段落）"))
    if not complete and all(f.ok for f in out):
        out.append(Finding("索引记录", False, "上次更新索引未完成；重新运行上次的 edureports ingest 命令", Fix.INGEST))
    return out


def verdict(findings: list[Finding]) -> str:
    """The closing line: all well, or the one command to run first."""
    bad = [f for f in findings if not f.ok]
    if not bad:
        return "检查完毕：数据目录完好"
    first = min(bad, key=lambda f: list(Fix).index(f.fix))
    return f"检查完毕：发现 {len(bad)} 个问题；请先运行 {first.fix.value}" if first.fix is not Fix.NONE \
        else f"检查完毕：发现 {len(bad)} 个问题"

