"""Admin commands: `flask --app directory check` and `flask --app directory build`."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import builds, records


def _print_problems(problems: list[records.Problem]) -> None:
    for problem in problems:
        click.secho(str(problem), fg="yellow" if problem.warning else "red", err=True)


def _csv_option(function):
    return click.option(
        "--csv",
        "csv_path",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="The CSV to use (default: the configured data/agencies.csv).",
    )(function)


@click.command("check")
@_csv_option
@with_appcontext
def check(csv_path: Path | None) -> None:
    """Validate the CSV and list every problem with its line and column."""
    path = csv_path or current_app.config["CSV_PATH"]
    entries, problems = records.parse(path.read_bytes())
    _print_problems(problems)
    errors = sum(not p.warning for p in problems)
    services = sum(isinstance(e, records.Service) for e in entries)
    click.echo(
        f"{path.name}: {services} services, {len(entries) - services} area police contacts; "
        f"{errors} errors, {len(problems) - errors} warnings"
    )
    if errors:
        raise click.exceptions.Exit(1)


@click.command("build")
@_csv_option
@with_appcontext
def build(csv_path: Path | None) -> None:
    """Validate the CSV, build the database and search index, and swap them in."""
    path = csv_path or current_app.config["CSV_PATH"]
    try:
        folder, warnings = builds.build(path, current_app.config["BUILD_ROOT"])
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


def register(app: Flask) -> None:
    app.cli.add_command(check)
    app.cli.add_command(build)
