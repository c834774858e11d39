"""Admin commands: `flask --app directory check` and `flask --app directory build`."""

import datetime as dt
from pathlib import Path

import click
from babel.messages.pofile import write_po
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import builds, changes, coverage, entry_text, i18n, postcodes, records


def _print_problems(problems: list[records.Problem], err: bool = True) -> None:
    for problem in problems:
        click.secho(str(problem), fg="yellow" if problem.warning else "red", err=err)


def _csv_option(function):
    return click.option(
        "--csv",
        "csv_path",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="The CSV to use (default: the configured data/agencies.csv).",
    )(function)


def _compare(entries: records.Entries, path: Path, ref: str) -> changes.Changes | None:
    """What this CSV changes compared with `ref`, or None (said so) when git cannot tell."""
    try:
        old, _ = records.parse(changes.read_at(ref, path))
    except LookupError as exc:
        click.echo(f"Not compared with {ref}: {exc}.")
        return None
    return changes.compare(list(old), list(entries))


def _summarise(diff: changes.Changes, ref: str) -> list[records.Problem]:
    """Print the added, removed and changed entries; return warnings for unverified edits."""
    if not (diff.added or diff.removed or diff.changed):
        click.echo(f"Compared with {ref}: no entries added, changed or removed.")
        return []
    click.echo(f"Compared with {ref}:")
    for entry in diff.added:
        click.echo(f"  added    {entry.id} ({entry.name})")
    for entry in diff.removed:
        click.echo(f"  removed  {entry.id} ({entry.name})")
    for change in diff.changed:
        click.echo(f"  changed  {change.entry.id}: {', '.join(change.columns)}")
    return [
        records.Problem(
            c.entry.line, "last_verified", "changed without a new last_verified date", True, tuple(records.COLUMNS)
        )  # fmt: skip
        for c in diff.unverified(dt.date.today())
    ]


@click.command("check")
@_csv_option
@click.option(
    "--against",
    "ref",
    default="main",
    show_default=True,
    help="The git branch or commit to compare with; '' to skip the comparison.",
)
@with_appcontext
def check(csv_path: Path | None, ref: str) -> None:
    """Validate the CSV, list every problem with its line and column, and summarise the change.

    Everything goes to standard output in reading order, so a log or a pull-request summary shows
    it as an admin sees it in a terminal; the last line is always the result."""
    path = csv_path or current_app.config["CSV_PATH"]
    entries, problems = records.parse(path.read_bytes())
    districts_path = current_app.config["DISTRICTS_PATH"]
    sectors_path = postcodes.sectors_path(districts_path)
    tables = [(postcodes.read_districts, districts_path)]
    if sectors_path.exists():  # optional: without it, every postcode is answered by its district
        tables.append((postcodes.read_sectors, sectors_path))
    for read, table in tables:
        try:
            read(table.read_bytes())
        except records.InvalidData as exc:
            problems += exc.problems
    errors = sum(not p.warning for p in problems)
    if not errors:
        measured = coverage.measure(entries.services)
        problems += coverage.warnings(measured)
    _print_problems(problems, err=False)
    diff = _compare(entries, path, ref) if ref and not errors else None
    if diff is not None:
        unverified = _summarise(diff, ref)
        _print_problems(unverified, err=False)
        problems += unverified
    if not errors:
        click.echo()
        for line in coverage.lines(measured):
            click.echo(line)
        click.echo()
        _report_translations(entries, diff)
    warnings = len(problems) - errors
    click.echo()
    summary = (
        f"{path.name}: {len(entries.services)} services, {len(entries.spocs)} area police contacts; "
        f"{errors} errors, {warnings} warnings"
    )
    if errors:
        click.secho(f"{summary}. Fix the errors above (line and column are given), then run the check again.",
                    fg="red", bold=True)  # fmt: skip
        raise click.exceptions.Exit(1)
    advice = ": warnings do not stop the site from updating, but please read them" if warnings else ""
    click.secho(f"{summary}. The file is ready{advice}.", fg="green", bold=True)


def _report_translations(entries: records.Entries, diff: changes.Changes | None) -> None:
    """How much of the entries' text each language translates, and which entries show in English: after
    an English edit, those languages show that text in English (marked so) until a translator catches up."""
    folder = Path(entry_text.folders(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])[0])
    codes = [code for code in i18n.served() if code != i18n.DEFAULT]
    locales = [i18n.KNOWN[code][0] for code in codes]
    counts = entry_text.coverage(list(entries), folder, locales)
    parts = [f"{code} {'/'.join(map(str, counts[i18n.KNOWN[code][0]]))}" for code in codes]
    click.echo(f"Entry text translated: {', '.join(parts)}")
    missing = entry_text.untranslated(list(entries), folder, locales)
    if not missing:
        click.echo("Every entry's text is translated into every language.")
        return
    code_of = {i18n.KNOWN[code][0]: code for code in codes}
    status = {e.id: "added" for e in diff.added} if diff else {}
    status.update({c.entry.id: "changed" for c in diff.changed} if diff else {})
    noun = "entry" if len(missing) == 1 else "entries"
    click.echo(f"Shown in English (marked so) until translated: {len(missing)} {noun}")
    for entry_id, lacking in missing.items():
        where = ", ".join(code_of[x] for x in lacking)
        where = f"all {len(codes)} other languages" if len(lacking) == len(codes) else where
        note = f" ({status[entry_id]})" if entry_id in status else ""
        click.echo(f"  {entry_id}{note}: in {where}")
    click.echo(
        "To get them translated: run `make messages`, commit the updated translations/*/LC_MESSAGES/entries.po "
        "files, and ask a translator for each language to fill in the empty msgstr lines "
        "(CONTRIBUTING.md, 'Translating new entries')."
    )


@click.command("build")
@_csv_option
@with_appcontext
def build(csv_path: Path | None) -> None:
    """Validate the CSV, build the database and search index, and swap them in."""
    path = csv_path or current_app.config["CSV_PATH"]
    try:
        folder, warnings = builds.build(
            path,
            current_app.config["BUILD_ROOT"],
            current_app.config["DISTRICTS_PATH"],
            current_app.config["SITE_URL"],
            translations=current_app.config["BABEL_TRANSLATION_DIRECTORIES"],
        )
    except records.InvalidData as exc:
        _print_problems(exc.problems)
        served = builds.current(current_app.config["BUILD_ROOT"])
        click.secho("Build failed: nothing was changed.", fg="red", err=True)
        if served:
            click.echo(f"Still serving {served.name}.", err=True)
        raise click.exceptions.Exit(1) from None
    _print_problems(warnings)
    meta = builds.info(folder)
    click.echo(f"Built {folder.name}: {meta['services']} services, {meta['spocs']} area police contacts.")


@click.command("entry-messages")
@_csv_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("entries.pot"),
              show_default=True, help="Where to write the template.")  # fmt: skip
@with_appcontext
def entry_messages(csv_path: Path | None, output: Path) -> None:
    """Extract the entries' own text into a gettext template for translators (`make messages`)."""
    path = csv_path or current_app.config["CSV_PATH"]
    try:
        entries, _ = records.load(path)
    except records.InvalidData as exc:
        _print_problems(exc.problems)
        raise click.exceptions.Exit(1) from None
    template = entry_text.catalog(entries)
    with open(output, "wb") as handle:
        write_po(handle, template, width=0, no_location=True)
    click.echo(f"{output}: {len(template)} texts from {len(entries)} entries")


@click.command("import-postcodes")
@click.argument("onspd", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--write-districts", is_flag=True,
              help="Also rewrite data/postcode_districts.csv and postcode_sectors.csv from its counts.")  # fmt: skip
@with_appcontext
def import_postcodes(onspd: Path, write_districts: bool) -> None:
    """Import the ONS Postcode Directory CSV (columns pcd and oslaua), keep London's postcodes, and
    rebuild: full postcodes then resolve to exactly one area."""
    root, districts_path = current_app.config["BUILD_ROOT"], current_app.config["DISTRICTS_PATH"]
    try:
        with open(onspd, newline="", encoding="utf-8-sig", errors="replace") as lines:
            rows = list(postcodes.read_onspd(lines))
    except ValueError as exc:
        click.secho(f"{onspd.name}: {exc}. Nothing was changed.", fg="red", err=True)
        raise click.exceptions.Exit(1) from None
    if not rows:
        click.secho(f"{onspd.name} holds no London postcode. Nothing was changed.", fg="red", err=True)
        raise click.exceptions.Exit(1)
    count = postcodes.write_imported(rows, root / postcodes.IMPORTED)
    ranked = postcodes.rank_districts(rows)
    click.echo(f"Imported {count} London postcodes in {len(ranked)} districts from {onspd.name}.")
    if write_districts:
        # Read again, every local authority this time: a district is listed when most of it is in London.
        with open(onspd, newline="", encoding="utf-8-sig", errors="replace") as lines:
            districts, sectors = postcodes.shipped_tables(postcodes.read_onspd(lines, everywhere=True))
        postcodes.write_districts(districts, districts_path)
        postcodes.write_sectors(sectors, postcodes.sectors_path(districts_path))
        click.echo(f"Rewrote {districts_path.name} and {postcodes.SECTORS_NAME} from the import.")
    try:
        folder, _ = builds.build(
            current_app.config["CSV_PATH"],
            root,
            districts_path,
            current_app.config["SITE_URL"],
            translations=current_app.config["BABEL_TRANSLATION_DIRECTORIES"],
        )
    except records.InvalidData as exc:  # the import is kept; the next good build will use it
        _print_problems(exc.problems)
        click.secho("Imported, but the build failed: still serving the previous build.", fg="red", err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(f"Built {folder.name}. {postcodes.ATTRIBUTION}.")


def register(app: Flask) -> None:
    app.cli.add_command(check)
    app.cli.add_command(build)
    app.cli.add_command(entry_messages)
    app.cli.add_command(import_postcodes)
