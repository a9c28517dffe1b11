"""Find, quantify and use feature interactions, the scikit-learn way."""

__version__ = "0.1.0.dev0"
