-- Rebuilt on every run: an orphan leaves the table as soon as its parent arrives.
{{ config(materialized='table') }}

with orphans as (

    -- An order line whose order has not arrived waits for the order; otherwise for the
    -- order's customer or campaign, or its product.
    {{ orphan_rows('fact_order_items', 'order_items', ['order_id', 'line_number'], 'order_ts',
        'order_id', 'orders', 'order_ts is null') }}
    union all
    {{ orphan_rows('fact_order_items', 'order_items', ['order_id', 'line_number'], 'order_ts',
        'customer_id', 'customers', 'order_ts is not null and customer_key = -1') }}
    union all
    {{ orphan_rows('fact_order_items', 'order_items', ['order_id', 'line_number'], 'order_ts',
        'campaign_id', 'campaigns', 'order_ts is not null and campaign_key = -1') }}
    union all
    {{ orphan_rows('fact_order_items', 'order_items', ['order_id', 'line_number'], 'order_ts',
        'product_id', 'products', 'order_ts is not null and product_key = -1') }}
    union all
    {{ orphan_rows('fact_orders', 'orders', ['order_id'], 'order_ts',
        'customer_id', 'customers', 'customer_key = -1') }}
    union all
    {{ orphan_rows('fact_orders', 'orders', ['order_id'], 'order_ts',
        'campaign_id', 'campaigns', 'campaign_key = -1') }}
    union all
    -- A payment's customer is its order's: an order not arrived yet leaves it unknown.
    {{ orphan_rows('fact_payments', 'payments', ['payment_id'], 'payment_ts',
        'order_id', 'orders', 'customer_key = -1 and customer_id is null') }}
    union all
    {{ orphan_rows('fact_payments', 'payments', ['payment_id'], 'payment_ts',
        'customer_id', 'customers', 'customer_key = -1 and customer_id is not null') }}
    union all
    {{ orphan_rows('fact_web_events', 'web_events', ['event_id'], 'event_ts',
        'customer_id', 'customers', 'customer_key = -1') }}
    union all
    {{ orphan_rows('fact_web_events', 'web_events', ['event_id'], 'event_ts',
        'product_id', 'products', 'product_key = -1') }}
    union all
    {{ orphan_rows('fact_inventory_snapshot', 'inventory', ['snapshot_date', 'warehouse_id', 'product_id'],
        'snapshot_date', 'product_id', 'products', 'product_key = -1') }}

),

landing_files as (

    select * from {{ ref('stg_bronze_files') }}

),

as_of as (

    -- Ages count to the newest partition bronze has seen, not to the clock, so the table
    -- depends only on the data.
    select max(dt) as as_of_dt from landing_files

),

final as (

    select
        orphans.fact_table,
        orphans.entity,
        orphans.fact_id,
        orphans.reference,
        orphans.parent_entity,
        orphans.missing_id,
        orphans.fact_date,
        orphans.source_dt,
        {{ dbt.datediff('orphans.fact_date', 'as_of.as_of_dt', 'day') }} as age_days,
        orphans.source_file,
        orphans.source_line
    from orphans
    cross join as_of

)

select * from final
