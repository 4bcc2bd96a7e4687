"""Merchant payments, by channel: the merchant's (`merchant.py`) and the customer's (`customer.py`),
both settled by `settlement.py`."""
