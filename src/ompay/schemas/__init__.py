"""msgspec Structs: request bodies (Laravel's FormRequest) and response resources."""
