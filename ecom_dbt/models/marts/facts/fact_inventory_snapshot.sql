{{ config(
    unique_key=['snapshot_date_key', 'warehouse_id', 'product_id'],
    **redshift_table(dist='product_id', sort=['snapshot_date_key'])
) }}

{%- set columns = [
    'warehouse_id', 'product_id', 'on_hand_qty', 'snapshot_date', 'source_dt',
    'source_file', 'source_line', 'ingested_at',
] %}

with inventory as (

    select * from {{ ref('stg_inventory') }}

),

products as (

    select * from {{ ref('dim_products') }}

),

changed_products as (

    {{ changed_since('stg_products', 'product_id', 'dim_products') }}

),

window_rows as (

    {{ select_window('inventory', columns) }}

),

candidates as (

    select * from window_rows
    {% if is_incremental_run() %}
    union all
    -- Rows of the same snapshot dates (one row per key across partitions), and rows whose
    -- product got a version that may apply on their day (a first version: all of them).
    select
        {{ column_list(columns, 'existing') }}
    from {{ this }} as existing
    left join changed_products
        on changed_products.product_id = existing.product_id
    where existing.snapshot_date in (select snapshot_date from window_rows)
        or cast(existing.snapshot_date as {{ dbt.type_timestamp() }}) >= changed_products.changed_from
    {% endif %}

),

deduplicated as (

    {{ first_by('candidates', 'snapshot_date, warehouse_id, product_id', 'source_dt') }}

),

final as (

    select
        {{ date_key('deduplicated.snapshot_date') }} as snapshot_date_key,
        deduplicated.warehouse_id,
        deduplicated.product_id,
        -- The product version valid at the start of the snapshot day.
        coalesce(products.product_key, -1) as product_key,
        deduplicated.on_hand_qty,
        deduplicated.snapshot_date,
        deduplicated.source_dt,
        deduplicated.source_file,
        deduplicated.source_line,
        deduplicated.ingested_at
    from deduplicated
    left join products
        on products.product_id = deduplicated.product_id
        and {{ valid_at('products', 'cast(deduplicated.snapshot_date as ' ~ dbt.type_timestamp() ~ ')') }}

)

select * from final
