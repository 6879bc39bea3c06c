{{ config(unique_key='customer_id', **redshift_table(dist='customer_id', backup=false)) }}

{{ scd2_versions(
    'stg_customers', 'customer_id', 'customer_key',
    attributes=[
        'email', 'first_name', 'last_name', 'country_code', 'city', 'loyalty_tier', 'signup_ts',
    ],
    derived={'geography_key': surrogate_key(['country_code', 'city'])},
) }}
