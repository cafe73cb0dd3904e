"""Load and check content/support.yaml, and keep the live copy current.

Errors (a line nobody can reach, a missing fallback) stop the file from being
used; stale reviews are only warnings, because an old but working number is
still better than none. Warnings are returned rather than raised so that
`bounceback check` can print them while the bot keeps serving.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from bot.clock import Clock
from bot.content.binding import bind
from bot.content.commands import Registered
from bot.content.source import (
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    SourceError,
    SourceErrors,
    mapping_entries,
    read_yaml_nodes,
)
from bot.content.speaking import language, once_per_reply
from bot.content.support_locales import load_support_translations, localized
from bot.content.support_schema import SupportContent
from bot.domain.support import INTERNATIONAL

log = logging.getLogger(__name__)

SUPPORT_FILE = "support.yaml"
REVIEW_EVERY = timedelta(days=365)
_REGION_CODE = re.compile(r"^[A-Z]{2}$")
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def load_support(
    directory: Path, today: date, commands: Registered = ()
) -> tuple[SupportContent, list[SourceError]]:
    """Read and validate support.yaml; raise SourceErrors, return review warnings.

    `commands` is the registered tree, whose names each language's wording uses.
    """
    path = directory / SUPPORT_FILE
    file = str(path)
    if not path.is_file():
        raise SourceErrors([SourceError(file, 1, 1, "file is missing")])
    root = read_yaml_nodes(path)
    _dates_as_text(root)
    content, errors = bind(SupportContent, root, file)
    if isinstance(root, MappingNode):  # from the nodes, so a broken entry hides nothing
        errors.extend(cross_check(root, file))
    if content is None or errors:
        raise SourceErrors(errors)
    translations, errors = load_support_translations(directory, content, commands)
    if errors:
        raise SourceErrors(errors)
    languages = {code: localized(content, tr) for code, tr in translations.items()}
    content = replace(content, translations=translations, languages=languages)
    return content, review_warnings(content, file, today)


def _dates_as_text(node: Node | None) -> None:
    """Keep `2026-11-01` as the text it was typed as; the schema checks it is a real date."""
    if isinstance(node, ScalarNode) and node.tag == _TIMESTAMP_TAG:
        node.tag = _STR_TAG
    elif isinstance(node, SequenceNode):
        for child in node.value:
            _dates_as_text(child)
    elif isinstance(node, MappingNode):
        for _, value in node.value:
            _dates_as_text(value)


def _section(root: MappingNode, name: str) -> tuple[ScalarNode, MappingNode] | None:
    for key, key_node, value in mapping_entries(root):
        if key == name and isinstance(value, MappingNode):
            return key_node, value
    return None


def cross_check(root: MappingNode, file: str) -> list[SourceError]:
    """Rules that span sections: region codes, the fallback, locale targets, unique ids.

    They read the nodes rather than the bound content, so they still run when
    some other entry breaks its own rules: every problem is listed in one go.
    """
    errors: list[SourceError] = []
    regions = _section(root, "regions")
    if regions is not None:
        codes = {code for code, _, _ in mapping_entries(regions[1])}
        errors.extend(_region_errors(regions, file))
        locales = _section(root, "locales")
        if locales is not None:
            for locale, _, value in mapping_entries(locales[1]):
                target = value.value if isinstance(value, ScalarNode) else None
                if isinstance(target, str) and target not in codes:
                    errors.append(
                        SourceError.at(
                            file, value, f"locale '{locale}' points at unknown region '{target}'"
                        )
                    )
    errors.extend(_duplicate_exercises(root, file))
    return errors


def _region_errors(regions: tuple[ScalarNode, MappingNode], file: str) -> list[SourceError]:
    errors: list[SourceError] = []
    entries = mapping_entries(regions[1])
    for code, key_node, _ in entries:
        if code != INTERNATIONAL and not _REGION_CODE.match(code):
            problem = f"region '{code}' must be a two-letter country code such as GB, or "
            errors.append(SourceError.at(file, key_node, f"{problem}'{INTERNATIONAL}'"))
    if INTERNATIONAL not in {code for code, _, _ in entries}:
        problem = f"regions need an '{INTERNATIONAL}' entry: it is what members "
        errors.append(SourceError.at(file, regions[0], f"{problem}from anywhere else are shown"))
    return errors


def _duplicate_exercises(root: MappingNode, file: str) -> list[SourceError]:
    errors: list[SourceError] = []
    grounding = next((v for k, _, v in mapping_entries(root) if k == "grounding"), None)
    if not isinstance(grounding, SequenceNode):
        return errors
    seen: dict[str, int] = {}
    for item in grounding.value:
        if not isinstance(item, MappingNode):
            continue
        ids = [
            v.value for k, _, v in mapping_entries(item) if k == "id" and isinstance(v, ScalarNode)
        ]
        if not ids:
            continue
        line = item.start_mark.line + 1
        if ids[0] in seen:
            errors.append(
                SourceError(
                    file,
                    line,
                    1,
                    f"duplicate exercise id '{ids[0]}' (first at line {seen[ids[0]]})",
                )
            )
        seen.setdefault(ids[0], line)
    return errors


def review_warnings(content: SupportContent, file: str, today: date) -> list[SourceError]:
    """Lines not reviewed within a year, or with a review date in the future."""
    warnings: list[SourceError] = []
    for code, region in content.regions.items():
        for line in region.lines:
            reviewed = line.reviewed_on
            if today - reviewed > REVIEW_EVERY:
                text = (
                    f"crisis line '{line.name}' ({code}) was last reviewed on {reviewed}, "
                    "more than a year ago: check it still works, then update last_reviewed"
                )
            elif reviewed > today:
                text = (
                    f"crisis line '{line.name}' ({code}) has last_reviewed {reviewed}, "
                    "which is in the future: is the date right?"
                )
            else:
                continue
            warnings.append(SourceError(file, line.line, 1, text))
    return sorted(warnings)


@dataclass(frozen=True)
class _Stamp:
    mtime_ns: int
    size: int


def _stamp(path: str) -> _Stamp | None:
    try:
        stat = os.stat(path)  # noqa: PTH116 - a str made once: this runs on every reply
    except OSError:
        return None
    return _Stamp(stat.st_mtime_ns, stat.st_size)


def _watched(directory: Path) -> tuple[str, ...]:
    """support.yaml, each language's support.yaml and commands.yaml, and the folders holding them.

    Globbed once per change, not per use: a file added to a language shows in its
    folder's stamp, and is picked up with the re-read that follows.
    """
    locales = directory / "locales"
    folders = sorted(path for path in locales.glob("*") if path.is_dir())
    files = sorted(locales.glob("*/support.yaml")) + sorted(locales.glob("*/commands.yaml"))
    return tuple(os.fspath(path) for path in (directory / SUPPORT_FILE, locales, *folders, *files))


def _stamps(paths: tuple[str, ...]) -> tuple[_Stamp | None, ...]:
    return tuple(_stamp(path) for path in paths)


class SupportSource:
    """The live support content, re-read when the file changes; the last good copy otherwise.

    Checking the files' sizes and times costs a few microseconds per file, once per
    reply (`once_per_reply`), so no watcher task is needed and an edit is live for
    the very next reply; a broken edit is logged and ignored.
    """

    def __init__(
        self, directory: Path, content: SupportContent, clock: Clock, commands: Registered = ()
    ) -> None:
        self._directory = directory
        self._content = content
        self._clock = clock
        self._commands = commands
        self._paths = _watched(directory)
        self._stamp = _stamps(self._paths)

    @classmethod
    def open(cls, directory: Path, clock: Clock, commands: Registered = ()) -> SupportSource:
        """Load at start; invalid content raises SourceErrors, stale reviews are logged."""
        content, warnings = load_support(directory, clock.now().date(), commands)
        for warning in warnings:
            log.warning("%s", warning)
        return cls(directory, content, clock, commands)

    @property
    def content(self) -> SupportContent:
        """Re-read when a support.yaml has changed (an invalid edit keeps the last good version).

        The content comes in the language being spoken (bot.content.speaking).
        """
        return once_per_reply(self, lambda: self._current().in_language(language()))

    def _current(self) -> SupportContent:
        stamp = _stamps(self._paths)
        if stamp != self._stamp:
            self._paths = _watched(self._directory)
            self._stamp = _stamps(self._paths)
            self._reload()
        return self._content

    def _reload(self) -> None:
        try:
            today = self._clock.now().date()
            self._content, _ = load_support(self._directory, today, self._commands)
        except SourceErrors as exc:
            log.warning(
                "support.yaml has %d problem(s); keeping the last good version:\n%s",
                len(exc.errors),
                exc,
            )
            return
        log.info("support content reloaded")
