-- Every customer has exactly one current version (the unknown member included).
{{ scd2_current_row_count(ref('dim_customers'), 'customer_id') }}
