"""Controllers: parse the request, call one service method, present the result."""
