"""Community Grid Map: spatial logic, storage and maps for community grid governance."""

__version__ = "0.1.0"
