"""gpscrape's Scrapy spiders (`gp`)."""
