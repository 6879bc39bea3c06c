{{ config(
    unique_key=['snapshot_date_key', 'warehouse_id', 'product_id'],
    **redshift_table(dist='product_id', sort=['snapshot_date_key'])
) }}

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

    select
        warehouse_id,
        product_id,
        on_hand_qty,
        snapshot_date,
        source_dt
    from inventory
    {% if is_incremental_run() %}
    where {{ in_window('source_dt') }}
    {% endif %}

),

candidate_rows as (

    select * from window_rows
    {% if is_incremental_run() %}
    union all
    -- Rows of the same snapshot dates (one row per key across partitions), and rows whose
    -- product got a version that may apply on their day, or is still unknown.
    select
        existing.warehouse_id,
        existing.product_id,
        existing.on_hand_qty,
        existing.snapshot_date,
        existing.source_dt
    from {{ this }} as existing
    left join changed_products
        on changed_products.product_id = existing.product_id
    where existing.snapshot_date in (select snapshot_date from window_rows)
        or cast(existing.snapshot_date as {{ dbt.type_timestamp() }}) >= changed_products.changed_from
        or existing.product_key = -1
    {% endif %}

),

snapshots as (

    {{ first_by('candidate_rows', 'snapshot_date, warehouse_id, product_id', 'source_dt') }}

),

final as (

    select
        {{ date_key('snapshots.snapshot_date') }} as snapshot_date_key,
        snapshots.warehouse_id,
        snapshots.product_id,
        -- The product version valid at the start of the snapshot day.
        coalesce(products.product_key, -1) as product_key,
        snapshots.on_hand_qty,
        snapshots.snapshot_date,
        snapshots.source_dt
    from snapshots
    left join products
        on products.product_id = snapshots.product_id
        and {{ valid_at('products', 'cast(snapshots.snapshot_date as ' ~ dbt.type_timestamp() ~ ')') }}

)

select * from final
