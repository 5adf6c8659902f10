"""``python -m arshjul``: the same as the ``arshjul`` command."""

from ._entry import run

if __name__ == "__main__":
    run()
