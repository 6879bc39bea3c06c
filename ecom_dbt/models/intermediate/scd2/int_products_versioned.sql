{{ config(unique_key='product_id', **redshift_table(dist='product_id', backup=false)) }}

{{ scd2_versions(
    'stg_products', 'product_id', 'product_key',
    attributes=['product_name', 'category', 'subcategory', 'brand', 'unit_price', 'is_active'],
) }}
