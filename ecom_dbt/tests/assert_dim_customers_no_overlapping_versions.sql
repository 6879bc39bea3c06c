-- Versions of one customer never overlap in time (SCD2 ranges are half-open and chained).
{{ scd2_overlapping_versions(ref('dim_customers'), 'customer_id', 'customer_key') }}
