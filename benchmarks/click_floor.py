"""The floor for a Python command-line tool: a one-command click program (`python click_floor.py --help`)."""

import click


@click.command()
@click.option("--name", default="world", help="Who to greet.")
def main(name: str) -> None:
    """Greet someone."""
    click.echo(f"Hello, {name}!")


if __name__ == "__main__":
    main()
