"""Small pieces of layout, each with `show(..., key=...)`."""
