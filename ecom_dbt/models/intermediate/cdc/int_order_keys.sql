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

changed_campaigns as (

    {{ window_keys('stg_campaigns', 'campaign_id') }}

),

changed_customers as (

    {{ changed_since('stg_customers', 'customer_id', 'dim_customers') }}

),

candidates as (

    select orders.* from orders
    {% if is_incremental_run() %}
    -- Only orders whose own version the window changed, whose customer got a version that
    -- may apply at their order time, or that wait for a campaign the window brought (campaign
    -- keys do not depend on time: only an unknown one can change).
    left join changed_customers
        on changed_customers.customer_id = orders.customer_id
    where orders.order_id in (select order_id from changed_orders)
        or orders.order_ts >= changed_customers.changed_from
        or orders.order_id in (
            select waiting.order_id from {{ this }} as waiting
            where {{ waiting_for('waiting', 'campaign_key', 'campaign_id', 'changed_campaigns') }}
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
        orders.source_dt,
        orders.source_file,
        orders.source_line,
        orders.ingested_at,
        {{ date_key('orders.order_ts') }} as order_date_key,
        {{ resolved_key('orders.customer_id', 'customers.customer_key') }} as customer_key,
        {{ resolved_key('orders.channel', 'channels.channel_key') }} as channel_key,
        {{ resolved_key('orders.campaign_id', 'campaigns.campaign_key') }} as campaign_key
    from candidates as orders
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
