"""The leadership rotation (分片联系): assigning bureau leaders to townships."""
