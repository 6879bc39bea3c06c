{{ config(
    unique_key=['order_id', 'line_number'],
    **redshift_table(dist='order_id', sort=['order_date_key'])
) }}

{%- set columns = [
    'order_id', 'line_number', 'product_id', 'quantity', 'unit_price', 'discount_amount',
    'source_dt', 'source_file', 'source_line', 'ingested_at',
] %}

with order_items as (

    select * from {{ ref('stg_order_items') }}

),

orders as (

    select * from {{ ref('int_order_keys') }}

),

products as (

    select * from {{ ref('dim_products') }}

),

changed_orders as (

    {{ window_keys('stg_orders', 'order_id') }}

),

changed_campaigns as (

    {{ window_keys('stg_campaigns', 'campaign_id') }}

),

changed_customers as (

    {{ changed_since('stg_customers', 'customer_id', 'dim_customers') }}

),

changed_products as (

    {{ changed_since('stg_products', 'product_id', 'dim_products') }}

),

window_rows as (

    {{ select_window('order_items', columns) }}

),

candidates as (

    select * from window_rows
    {% if is_incremental_run() %}
    union all
    -- Lines already in gold whose keys the window may change: same order, a new version of
    -- their order, a customer or product version that may apply at their order time (a
    -- first version: all of them), or the campaign they wait for.
    select
        {{ column_list(columns, 'existing') }}
    from {{ this }} as existing
    left join changed_customers
        on changed_customers.customer_id = existing.customer_id
    left join changed_products
        on changed_products.product_id = existing.product_id
    where existing.order_id in (select order_id from window_rows)
        or existing.order_id in (select order_id from changed_orders)
        or existing.order_ts >= changed_customers.changed_from
        or existing.order_ts >= changed_products.changed_from
        or {{ waiting_for('existing', 'campaign_key', 'campaign_id', 'changed_campaigns') }}
    {% endif %}

),

deduplicated as (

    -- A line delivered in several partitions is one line: the earliest partition's copy.
    {{ first_by('candidates', 'order_id, line_number', 'source_dt') }}

),

final as (

    select
        deduplicated.order_id,
        deduplicated.line_number,
        -- An order not arrived yet leaves every order-level key on the unknown member.
        coalesce(orders.order_date_key, -1) as order_date_key,
        coalesce(orders.customer_key, -1) as customer_key,
        case
            when orders.order_id is null then -1 else coalesce(products.product_key, -1)
        end as product_key,
        coalesce(orders.channel_key, -1) as channel_key,
        case when orders.order_id is null then -1 else orders.campaign_key end as campaign_key,
        deduplicated.quantity,
        deduplicated.unit_price,
        deduplicated.discount_amount,
        cast(deduplicated.quantity * deduplicated.unit_price as decimal(18, 2)) as gross_amount,
        cast(deduplicated.quantity * deduplicated.unit_price - deduplicated.discount_amount as decimal(18, 2))
            as total_amount,
        orders.order_status,
        orders.customer_id,
        deduplicated.product_id,
        orders.campaign_id,
        orders.order_ts,
        deduplicated.source_dt,
        deduplicated.source_file,
        deduplicated.source_line,
        deduplicated.ingested_at
    from deduplicated
    left join orders
        on orders.order_id = deduplicated.order_id
    left join products
        on products.product_id = deduplicated.product_id
        and {{ valid_at('products', 'orders.order_ts') }}

)

select * from final
