with campaigns as (

    select * from {{ ref('stg_campaigns') }}

),

latest as (

    -- Type 1: the latest version (greatest updated_at) describes the campaign.
    {{ first_by('campaigns', 'campaign_id', 'updated_at desc, source_dt, source_file, source_line') }}

),

unknown_member as (

    select
        cast(-1 as bigint) as campaign_key,
        '(unknown)' as campaign_id,
        '(unknown)' as campaign_name,
        '(unknown)' as marketing_channel,
        cast(null as date) as start_date,
        cast(null as date) as end_date,
        cast(null as decimal(18, 2)) as budget,
        cast(null as {{ dbt.type_timestamp() }}) as updated_at

),

final as (

    select
        {{ surrogate_key(['campaign_id']) }} as campaign_key,
        campaign_id,
        campaign_name,
        channel as marketing_channel,
        start_date,
        end_date,
        budget,
        updated_at
    from latest
    union all
    select * from unknown_member

)

select * from final
