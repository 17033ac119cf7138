"""Regenerate the table reference at the end of docs/data_format.md from orgnet.schema."""

from pathlib import Path

from orgnet import schema

MARK = "## Tables\n\n"


def render(current: str) -> str:
    head = current.split(MARK)[0]
    return head + MARK + schema.to_markdown()


if __name__ == "__main__":
    p = Path(__file__).with_name("data_format.md")
    p.write_text(render(p.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {p}")
