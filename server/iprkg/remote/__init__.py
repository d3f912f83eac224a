"""Talking to other servers: graph stores (publish, verify) and harvesting."""
