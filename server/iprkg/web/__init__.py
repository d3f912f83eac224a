"""The Flask application: one blueprint per page family, HTTP concerns, templates."""
