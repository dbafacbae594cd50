"""The SPARQL 1.1 endpoint (`gcmkg serve`): see `app.create_app` and `app.serve`."""

from gcmkg.server.app import ServerConfig, create_app, serve

__all__ = ["ServerConfig", "create_app", "serve"]
