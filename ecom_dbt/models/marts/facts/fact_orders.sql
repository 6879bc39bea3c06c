{{ config(
    unique_key='order_id',
    **redshift_table(dist='order_id', sort=['order_date_key'])
) }}

with orders as (

    select * from {{ ref('int_order_keys') }}

),

order_items as (

    select * from {{ ref('fact_order_items') }}

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

changed_lines as (

    {{ window_keys('stg_order_items', 'order_id') }}

),

candidates as (

    select orders.* from orders
    {% if is_incremental_run() %}
    -- The orders whose keys int_order_keys re-resolved, and those with new lines.
    left join changed_customers
        on changed_customers.customer_id = orders.customer_id
    where orders.order_id in (select order_id from changed_orders)
        or orders.order_ts >= changed_customers.changed_from
        or orders.order_id in (select order_id from changed_lines)
        or orders.order_id in (
            select waiting.order_id from {{ this }} as waiting
            where {{ waiting_for('waiting', 'campaign_key', 'campaign_id', 'changed_campaigns') }}
        )
    {% endif %}

),

line_totals as (

    select
        order_id,
        count(*) as line_count,
        sum(quantity) as units,
        sum(gross_amount) as gross_amount,
        sum(discount_amount) as discount_amount,
        sum(total_amount) as items_amount
    from order_items
    where order_id in (select order_id from candidates)
    group by order_id

),

final as (

    select
        candidates.order_id,
        candidates.order_date_key,
        candidates.customer_key,
        candidates.channel_key,
        candidates.campaign_key,
        candidates.order_status,
        coalesce(line_totals.line_count, 0) as line_count,
        coalesce(line_totals.units, 0) as units,
        cast(coalesce(line_totals.gross_amount, 0) as decimal(18, 2)) as gross_amount,
        cast(coalesce(line_totals.discount_amount, 0) as decimal(18, 2)) as discount_amount,
        cast(coalesce(line_totals.items_amount, 0) as decimal(18, 2)) as items_amount,
        candidates.shipping_amount,
        cast(coalesce(line_totals.items_amount, 0) + candidates.shipping_amount as decimal(18, 2))
            as order_amount,
        candidates.customer_id,
        candidates.campaign_id,
        candidates.order_ts,
        candidates.updated_at,
        -- Partition and lineage of the latest version.
        candidates.source_dt,
        candidates.source_file,
        candidates.source_line,
        candidates.ingested_at
    from candidates
    left join line_totals
        on line_totals.order_id = candidates.order_id

)

select * from final
