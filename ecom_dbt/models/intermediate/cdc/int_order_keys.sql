{{ config(unique_key='order_id', **redshift_table(dist='order_id', backup=false)) }}

with orders as (

    select * from {{ ref('int_orders_latest') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

campaigns as (

    select * from {{ ref('dim_campaigns') }}

),

channels as (

    select * from {{ ref('dim_channels') }}

),

changed_orders as (

    {{ window_keys('stg_orders', 'order_id') }}

),

changed_customers as (

    {{ window_keys('stg_customers', 'customer_id') }}

),

changed_campaigns as (

    {{ window_keys('stg_campaigns', 'campaign_id') }}

),

to_resolve as (

    select * from orders
    {% if is_incremental_run() %}
    -- Only orders whose own version, customer or campaign the window changed, and those
    -- still waiting for a parent.
    where order_id in (select order_id from changed_orders)
        or customer_id in (select customer_id from changed_customers)
        or campaign_id in (select campaign_id from changed_campaigns)
        or order_id in (
            select order_id from {{ this }} where customer_key = -1 or campaign_key = -1
        )
    {% endif %}

),

resolved as (

    select
        orders.order_id,
        orders.customer_id,
        orders.campaign_id,
        orders.channel,
        orders.order_ts,
        orders.order_status,
        orders.shipping_amount,
        orders.updated_at,
        {{ date_key('orders.order_ts') }} as order_date_key,
        {{ resolved_key('orders.customer_id', 'customers.customer_key') }} as customer_key,
        {{ resolved_key('orders.channel', 'channels.channel_key') }} as channel_key,
        {{ resolved_key('orders.campaign_id', 'campaigns.campaign_key') }} as campaign_key
    from to_resolve as orders
    left join customers
        on customers.customer_id = orders.customer_id
        and {{ valid_at('customers', 'orders.order_ts') }}
    left join channels
        on channels.channel = orders.channel
        and channels.channel_key <> -1
    left join campaigns
        on campaigns.campaign_id = orders.campaign_id
        and campaigns.campaign_key <> -1

)

select * from resolved
