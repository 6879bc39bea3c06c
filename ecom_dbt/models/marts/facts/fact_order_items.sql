{{ config(
    unique_key=['order_id', 'line_number'],
    **redshift_table(dist='order_id', sort=['order_date_key'])
) }}

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

changed_customers as (

    {{ window_keys('stg_customers', 'customer_id') }}

),

changed_products as (

    {{ window_keys('stg_products', 'product_id') }}

),

changed_campaigns as (

    {{ window_keys('stg_campaigns', 'campaign_id') }}

),

window_lines as (

    select
        order_id,
        line_number,
        product_id,
        quantity,
        unit_price,
        discount_amount,
        source_dt
    from order_items
    {% if is_incremental_run() %}
    where {{ in_window('source_dt') }}
    {% endif %}

),

candidate_lines as (

    select * from window_lines
    {% if is_incremental_run() %}
    union all
    -- Lines already in gold whose keys the window may change: same order, a new version of
    -- their order, customer, product or campaign, or a parent still unknown.
    select
        order_id,
        line_number,
        product_id,
        quantity,
        unit_price,
        discount_amount,
        source_dt
    from {{ this }}
    where order_id in (select order_id from window_lines)
        or order_id in (select order_id from changed_orders)
        or customer_id in (select customer_id from changed_customers)
        or product_id in (select product_id from changed_products)
        or campaign_id in (select campaign_id from changed_campaigns)
        or customer_key = -1
        or product_key = -1
        or campaign_key = -1
    {% endif %}

),

lines as (

    -- A line delivered in several partitions is one line: the earliest partition's copy.
    {{ first_by('candidate_lines', 'order_id, line_number', 'source_dt') }}

),

final as (

    select
        lines.order_id,
        lines.line_number,
        -- An order not arrived yet leaves every order-level key on the unknown member.
        coalesce(orders.order_date_key, -1) as order_date_key,
        coalesce(orders.customer_key, -1) as customer_key,
        case
            when orders.order_id is null then -1 else coalesce(products.product_key, -1)
        end as product_key,
        coalesce(orders.channel_key, -1) as channel_key,
        case when orders.order_id is null then -1 else orders.campaign_key end as campaign_key,
        lines.quantity,
        lines.unit_price,
        lines.discount_amount,
        cast(lines.quantity * lines.unit_price as decimal(18, 2)) as gross_amount,
        cast(lines.quantity * lines.unit_price - lines.discount_amount as decimal(18, 2))
            as total_amount,
        orders.order_status,
        orders.customer_id,
        lines.product_id,
        orders.campaign_id,
        orders.order_ts,
        lines.source_dt
    from lines
    left join orders
        on orders.order_id = lines.order_id
    left join products
        on products.product_id = lines.product_id
        and {{ valid_at('products', 'orders.order_ts') }}

)

select * from final
