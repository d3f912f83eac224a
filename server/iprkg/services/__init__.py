"""What pages and APIs need, as plain functions over the engine: labels, comparison,
service description, DCAT, VoID, citation."""
