"""The monthly rotation (分片联系) planner through the API."""
