"""Guidance as data: Markdown files with front matter, read by ``projections.guidance``."""

from pathlib import Path

CONTENT_DIR = Path(__file__).parent
GUIDANCE_DIR = CONTENT_DIR / "guidance"
