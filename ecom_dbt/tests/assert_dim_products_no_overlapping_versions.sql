-- Versions of one product never overlap in time (SCD2 ranges are half-open and chained).
{{ scd2_overlapping_versions(ref('dim_products'), 'product_id', 'product_key') }}
