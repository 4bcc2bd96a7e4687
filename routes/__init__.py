"""The URL map (Laravel's routes/): which controllers answer where."""
