{{ config(
    unique_key='shipment_id',
    **redshift_table(dist='order_id', sort=['shipped_date_key'])
) }}

with shipments as (

    select * from {{ ref('stg_shipments') }}

),

shipment_statuses as (

    select * from {{ ref('dim_shipment_status') }}

),

window_versions as (

    select
        shipment_id,
        order_id,
        carrier,
        shipment_status,
        shipped_ts,
        delivered_ts,
        updated_at,
        source_dt
    from shipments
    {% if is_incremental_run() %}
    where {{ in_window('source_dt') }}
    {% endif %}

),

candidates as (

    select * from window_versions
    {% if is_incremental_run() %}
    union all
    -- Accumulating snapshot: each new version of a shipment replaces the row if it is later.
    select
        shipment_id,
        order_id,
        carrier,
        shipment_status,
        shipped_ts,
        delivered_ts,
        updated_at,
        source_dt
    from {{ this }}
    where shipment_id in (select shipment_id from window_versions)
    {% endif %}

),

latest as (

    {{ first_by('candidates', 'shipment_id', 'updated_at desc, source_dt') }}

),

final as (

    select
        latest.shipment_id,
        latest.order_id,
        latest.carrier,
        coalesce(shipment_statuses.shipment_status_key, -1) as shipment_status_key,
        latest.shipment_status,
        -- Milestones not reached yet are null, not unknown.
        case when latest.shipped_ts is not null then {{ date_key('latest.shipped_ts') }} end
            as shipped_date_key,
        case when latest.delivered_ts is not null then {{ date_key('latest.delivered_ts') }} end
            as delivered_date_key,
        {{ dbt.datediff('cast(latest.shipped_ts as date)', 'cast(latest.delivered_ts as date)', 'day') }}
            as days_to_deliver,
        latest.shipped_ts,
        latest.delivered_ts,
        latest.updated_at,
        latest.source_dt
    from latest
    left join shipment_statuses
        on shipment_statuses.shipment_status = latest.shipment_status
        and shipment_statuses.shipment_status_key <> -1

)

select * from final
