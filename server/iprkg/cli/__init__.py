"""The iprkg command: thin commands over the layers below."""
