"""`python -m repairtrack`: the same command line as the `repairtrack` console script."""

from repairtrack.cli import main

if __name__ == "__main__":
    main()
