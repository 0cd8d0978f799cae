"""Accuracy evaluation of cotag (see eval/README.md). A package so that
`python3 -m unittest discover -s eval -t .` finds the tests."""
