-- Payment methods (contract enum), keyed by the hashed code.
{{ static_dimension('payment_method_key', 'payment_method', [
    ['credit_card', 'Credit card'],
    ['debit_card', 'Debit card'],
    ['paypal', 'PayPal'],
    ['bank_transfer', 'Bank transfer'],
    ['gift_card', 'Gift card'],
    ['cash_on_delivery', 'Cash on delivery'],
]) }}
