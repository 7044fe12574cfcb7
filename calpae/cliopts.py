"""Options every command shares (--db, --verbose/--quiet) and help that always says an option's default.

Kept free of heavy imports: it is loaded at every start of the command line.
"""

from __future__ import annotations

import argparse
import sys

DB_HELP = "run database: a DuckDB file or a postgresql://user@host/dbname URL"
FLAG_ACTIONS = (
    argparse._StoreTrueAction,
    argparse._StoreFalseAction,
    argparse._StoreConstAction,
    argparse._CountAction,
    argparse._HelpAction,
    argparse._VersionAction,
    argparse._AppendConstAction,
)

# Exit statuses of every command (README, "Exit codes").
EXIT_OK = 0
EXIT_SOME_FAILED = 1  # some inputs failed, or nothing matched the request (explain)
EXIT_USAGE = 2  # unusable arguments, missing database or run folder
EXIT_INTERRUPTED = 130


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Appends '(default: X)' to every option's help that does not already say its default; flags are off
    unless given and say nothing."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if isinstance(action, FLAG_ACTIONS) or "default" in text.lower() or action.default is argparse.SUPPRESS:
            return text
        if action.required:
            return text
        if not action.option_strings and action.nargs not in (argparse.OPTIONAL, argparse.ZERO_OR_MORE):
            return text  # a required positional has no default
        if action.default is None:
            return f"{text} (default: none)".strip()
        return super()._get_help_string(action)


def add_db(p: argparse.ArgumentParser, required: bool = True, help_extra: str = "") -> None:
    """The same --db on every command: a DuckDB file or a PostgreSQL URL."""
    p.add_argument("--db", required=required, default=None, help=f"{DB_HELP}{f' ({help_extra})' if help_extra else ''}")


def add_common(p: argparse.ArgumentParser) -> None:
    """--verbose and --quiet (whichever the command does not have yet)."""
    have = set(p._option_string_actions)
    for short, long, text in (
        ("-v", "--verbose", "say what is being done, phase by phase"),
        ("-q", "--quiet", "print only errors and the result"),
    ):
        if long not in have:
            p.add_argument(short, long, action="store_true", help=text)
        elif short not in have:  # the command's own --quiet: the short form too, the same everywhere
            p.add_argument(short, action="store_true", dest=p._option_string_actions[long].dest, help=argparse.SUPPRESS)


def finish(sub: argparse._SubParsersAction) -> None:
    """Every sub-command (and theirs) gets the shared help formatter and --verbose/--quiet."""
    for p in sub.choices.values():
        p.formatter_class = HelpFormatter
        nested = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:
            for inner in nested:
                finish(inner)
        else:
            add_common(p)


def say(args: argparse.Namespace, message: str) -> None:
    """A progress line on stderr when --verbose."""
    if getattr(args, "verbose", False):
        print(message, file=sys.stderr, flush=True)
