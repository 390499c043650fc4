"""The JSON API: POST /api/annotate and GET /api/lookup/<text> (docs/api.md, docs/openapi.yaml)."""
