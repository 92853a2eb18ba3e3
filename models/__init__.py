"""What is stored: Tortoise models, one module per domain, plus the migrations built from them."""
