"""Documentation generated from the code, so the two cannot drift: `python -m repairtrack.docs` writes
`docs/rules.md`; a test fails when the file differs from what the code would write."""

from __future__ import annotations

from pathlib import Path

from domain.rules import REFUSALS, RULES

DOCS = Path(__file__).resolve().parents[1] / "docs"


def rules_markdown() -> str:
    lines = [
        "# The rules of an entry",
        "",
        "Every refusal names the entry (its line on import), the field and one of these codes.",
        "Generated from `domain/rules.py` by `python -m repairtrack.docs`; do not edit by hand.",
        "",
        "| code | rule |",
        "|---|---|",
    ]
    lines += [f"| `{code}` | {text} |" for code, text in RULES.items()]
    lines += [
        "",
        "## Refusals of a request",
        "",
        "A command option, a file, the configuration or a busy store is refused the same way, one line",
        "`field: code: detail` each (the field is the option or the setting); these are their codes.",
        "",
        "| code | rule |",
        "|---|---|",
    ]
    lines += [f"| `{code}` | {text} |" for code, text in REFUSALS.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    (DOCS / "rules.md").write_text(rules_markdown())


if __name__ == "__main__":
    main()
