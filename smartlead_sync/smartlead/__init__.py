"""Everything that talks HTTP to Smartlead: the client, the rate limiter and the provider."""
