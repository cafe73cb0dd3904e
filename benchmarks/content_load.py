"""How long loading and validating a large tip library takes (the target: 10,000 tips < 1 s).

The library is generated in the shape of the shipped ``content/`` (``topics.yaml``, one
``tips/<topic>.yaml`` per topic with folded ``>-`` texts, some reflect questions, tags, and
Spanish translations in ``locales/es-ES/``) plus a copy of the real ``messages.yaml``, so the loader does the same
work per tip that it does on the real files, just 100 times over.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.content.loader import load_library

REPO = Path(__file__).resolve().parents[1]
_SENTENCES = (
    "A rejection is information about one role at one moment, not a verdict on you.",
    "Write down one thing that went well in the last conversation before you forget it.",
    "Take a short walk before opening the next application; rest is part of the work.",
    "Ask a friend to read your summary aloud and notice where they stumble.",
)
_TAGS = ("application", "screening", "interview", "final-round", "offer-withdrawn", "any")


def write_library(folder: Path, topics: int, tips_per_topic: int) -> Path:
    """Write a valid content folder with ``topics * tips_per_topic`` tips; return it."""
    (folder / "tips").mkdir(parents=True)
    shutil.copy(REPO / "content" / "messages.yaml", folder / "messages.yaml")
    ids = [f"bench-topic-{number:02d}" for number in range(1, topics + 1)]
    (folder / "topics.yaml").write_text(_topics_yaml(ids), encoding="utf-8")
    spanish = folder / "locales" / "es-ES"
    (spanish / "tips").mkdir(parents=True)
    (spanish / "locale.yaml").write_text("name: Español (España)\n", encoding="utf-8")
    (spanish / "topics.yaml").write_text(_spanish_topics(ids), encoding="utf-8")
    for topic in ids:
        text = _tips_yaml(topic, tips_per_topic)
        (folder / "tips" / f"{topic}.yaml").write_text(text, encoding="utf-8")
        spanish_tips = _spanish_tips(topic, tips_per_topic)
        (spanish / "tips" / f"{topic}.yaml").write_text(spanish_tips, encoding="utf-8")
    return folder


def _spanish_topics(ids: list[str]) -> str:
    lines = []
    for number, topic in enumerate(ids, start=1):
        lines += [
            f"{topic}:",
            f"  name: Tema de prueba {number}",
            "  description: Generado para medir la carga de una biblioteca grande.",
        ]
    return "\n".join(lines) + "\n"


def _spanish_tips(topic: str, count: int) -> str:
    lines = []
    for number in range(5, count + 1, 5):  # every fifth tip is translated
        lines += [
            f"{topic}-{number:04d}:",
            "  text: >-",
            f"    Consejo {number}. Un rechazo es información sobre un puesto",
            "    en un momento, no un veredicto sobre ti.",
        ]
    return "\n".join(lines) + "\n"


def _topics_yaml(ids: list[str]) -> str:
    lines = ["topics:"]
    for number, topic in enumerate(ids, start=1):
        lines += [
            f"  - id: {topic}",
            f"    name: Benchmark topic {number}",
            "    description: Generated to measure how fast a large library loads.",
            '    emoji: "🌱"',
            "",
        ]
    return "\n".join(lines)


def _tips_yaml(topic: str, count: int) -> str:
    lines = ["tips:"]
    for number in range(1, count + 1):
        first, second = _SENTENCES[number % 4], _SENTENCES[(number + 1) % 4]
        lines += [
            f"  - id: {topic}-{number:04d}",
            f"    topic: {topic}",
            "    text: >-",
            f"      Tip {number} of {topic}. {first}",
            f"      {second}",
        ]
        if number % 4 == 0:
            lines += [
                '    reflect: "What would you tell a friend who got the same answer?"',
                f"    tags: [{_TAGS[number % 6]}, {_TAGS[(number + 1) % 6]}]",
            ]
        lines.append("")
    return "\n".join(lines)


def measure_load(topics: int, tips_per_topic: int, runs: int = 3) -> dict[str, Any]:
    """Generate the library, load it ``runs`` times; report the median and every run."""
    with tempfile.TemporaryDirectory(prefix="bounceback-bench-content-") as folder:
        library_dir = write_library(Path(folder) / "content", topics, tips_per_topic)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            library = load_library(library_dir)
            times.append(time.perf_counter() - started)
    expected = topics * tips_per_topic
    if len(library.tips) != expected:
        raise RuntimeError(f"loaded {len(library.tips)} tips, expected {expected}")
    return {
        "tips": expected,
        "topics": topics,
        "median_s": statistics.median(times),
        "runs_s": times,
    }
