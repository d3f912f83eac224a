"""What the tests share: live servers, scenarios, strategies, the W3C runner, test data."""
