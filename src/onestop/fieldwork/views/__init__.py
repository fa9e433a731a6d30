"""Pages of fieldwork: the workbench (staff), the institution's pages and the
user's pages. Thin: parse, authorise, call one service or selector, render."""
