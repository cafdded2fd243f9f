"""``builder server``: the build servers of this user (``builder.commands.warm``), their state,
and how to stop them."""

from __future__ import annotations

import click

from builder.commands import warm


@click.group()
def server() -> None:
    """The build server: after a build in its own process, later builds run in a process that
    stays for 30 minutes without a build (KHOAHOCSO_SERVER_IDLE seconds), with the libraries
    loaded and the course read. None under CI, or with KHOAHOCSO_SERVER=off or
    'builder build --no-server'.

    \b
    Examples:
      builder server status
      builder server stop
    """


@server.command()
def status() -> None:
    """Say which build servers of yours are running, and how many builds each has run."""
    found = warm.servers()
    if not found:
        click.echo("No build server is running.")
    for each in found:
        click.echo(
            f"Build server {each.get('pid')}: {each.get('builds')} build(s) since it started; "
            f"it stops in {_duration(float(each.get('left', 0)))} unless it builds again."
        )


def _duration(seconds: float) -> str:
    """'29 minute(s)', or '40 second(s)' under two minutes."""
    if seconds < 120:
        return f"{round(seconds)} second(s)"
    return f"{round(seconds / 60)} minute(s)"


@server.command(name="stop")
def stop_command() -> None:
    """Stop your running build servers (the next build starts one again)."""
    count = warm.stop()
    click.echo(f"Stopped {count} build server(s)." if count else "No build server is running.")
