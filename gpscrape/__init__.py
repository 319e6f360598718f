"""gpscrape: the NIAS Global Politics website as clean, typed Parquet datasets."""

__version__ = "0.1.0"
