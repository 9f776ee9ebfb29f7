"""The footer every console screen shows: its keys, as many as fit the terminal's width. The
rest are left to `?` (help lists every key of the screen), which then says "More keys", so a
cut footer never hides that there is more.

Keys are given up in this order: q Quit (the same on every screen), then the focused widget's
keys (moving the timeline's cursor, say), from the right, then the screen's own actions, from
the right; never `?` nor the palette key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

HELP_KEY = "question_mark"
QUIT_KEY = "q"


class ConsoleFooter(Footer):
    def compose(self) -> ComposeResult:
        yield from super().compose()
        self.call_after_refresh(self.fit)

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit)

    def fit(self, tries: int = 20) -> None:
        """Show as many keys as fit; say "More keys" on `?` when some are left out. Waits for
        the keys to be laid out (a recompose replaces them) to know their widths."""
        if not self.is_attached or self.size.width == 0:
            return
        laid_out = all(c.outer_size.width for c in self.children if c.display)
        if not laid_out and tries:
            self.call_after_refresh(self.fit, tries - 1)
            return
        items = self._items()
        for item in items:
            for widget in item:
                widget.display = True
        width = sum(_width(child) for child in self.children)
        hidden = 0
        for item in self._give_up_order(items):
            if width <= self.size.width:
                break
            for widget in item:
                width -= _width(widget)
                widget.display = False
            hidden += 1
        for child in self.children:
            if isinstance(child, FooterKey) and child.key == HELP_KEY:
                child.description = "More keys" if hidden else "Help"
                child.refresh(layout=True)

    def _items(self) -> list[list[Widget]]:
        """The footer's entries that may be left out: a key, or a group of keys with its label;
        not `?` and not the palette key."""
        items: list[list[Widget]] = []
        for child in self.children:
            if child.has_class("-command-palette") or _keys(child) == [HELP_KEY]:
                continue
            if isinstance(child, FooterLabel) and items:
                items[-1].append(child)  # a group's description follows its keys
            else:
                items.append([child])
        return items

    def _give_up_order(self, items: list[list[Widget]]) -> list[list[Widget]]:
        bindings = self.screen.active_bindings
        app, screen = self.app, self.screen

        def owner(item: list[Widget]) -> str:
            keys = _keys(item[0])
            if keys == [QUIT_KEY]:
                return "quit"
            node = bindings[keys[0]].node if keys and keys[0] in bindings else None
            if node is app:
                return "app"
            return "screen" if node is screen else "widget"

        order = {"quit": 0, "widget": 1, "screen": 2, "app": 3}
        right_first = list(reversed(items))
        return sorted(right_first, key=lambda item: order[owner(item)])


def _keys(widget: Widget) -> list[str]:
    if isinstance(widget, FooterKey):
        return [widget.key]
    return [child.key for child in widget.children if isinstance(child, FooterKey)]


def _width(widget: Widget) -> int:
    """Columns the entry takes with its margins (its text when not laid out yet)."""
    if not widget.display:
        return 0
    own = widget.outer_size.width
    if own == 0 and isinstance(widget, FooterKey):
        own = widget.render().cell_len
    margin = widget.styles.margin
    return own + margin.left + margin.right
