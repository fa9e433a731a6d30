from django.urls import path

from onestop.fieldwork.views import follow_ups, institution, mine, samples, slots, tasks

app_name = "fieldwork"

urlpatterns = [
    # public and the user's own (WX 5.2 b 3; samples WX 5.2 a 1)
    path("slots/station/<int:station_id>/", slots.station_slots, name="station_slots"),
    path(
        "slots/institution/<int:institution_id>/",
        slots.institution_slots,
        name="institution_slots",
    ),
    path("slots/<int:slot_id>/book/", slots.book, name="book"),
    path("appointments/", slots.my_appointments, name="my_appointments"),
    path(
        "appointments/<int:appointment_id>/cancel/",
        slots.appointment_cancel,
        name="appointment_cancel",
    ),
    path("samples/", mine.my_samples, name="my_samples"),
    path("samples/<int:sample_id>/", mine.my_sample, name="my_sample"),
    path("samples/<int:sample_id>/new-code/", mine.my_sample_new_code, name="my_sample_new_code"),
    # the institution's people
    path("institution/samples/", institution.sample_list, name="inst_samples"),
    path("institution/samples/<int:sample_id>/", institution.sample_detail, name="inst_sample"),
    path(
        "institution/samples/<int:sample_id>/confirm/",
        institution.sample_confirm,
        name="inst_sample_confirm",
    ),
    path(
        "institution/samples/<int:sample_id>/reject/",
        institution.sample_reject,
        name="inst_sample_reject",
    ),
    path(
        "institution/samples/<int:sample_id>/report/",
        institution.sample_report,
        name="inst_sample_report",
    ),
    path("institution/slots/", institution.slots, name="inst_slots"),
    path("institution/slots/new/", institution.slots_new, name="inst_slots_new"),
    path(
        "institution/slots/<int:slot_id>/delete/",
        institution.slot_delete,
        name="inst_slot_delete",
    ),
    path(
        "institution/appointments/<int:appointment_id>/cancel/",
        institution.appointment_cancel,
        name="inst_appointment_cancel",
    ),
    # workbench: proxy tasks (WX 5.3 b)
    path("manage/tasks/", tasks.task_queue, name="tasks"),
    path("manage/tasks/new/", tasks.task_new, name="task_new"),
    path("manage/tasks/assign/", tasks.tasks_assign, name="tasks_assign"),
    path("manage/tasks/<int:task_id>/", tasks.task_detail, name="task"),
    path("manage/tasks/<int:task_id>/assign/", tasks.task_assign, name="task_assign"),
    path("manage/tasks/<int:task_id>/done/", tasks.task_done, name="task_done"),
    path("manage/tasks/<int:task_id>/cancel/", tasks.task_cancel, name="task_cancel"),
    # workbench: samples
    path("manage/samples/", samples.sample_queue, name="samples"),
    path("manage/samples/new/", samples.sample_new, name="sample_new"),
    path("manage/samples/<int:sample_id>/", samples.sample_detail, name="sample"),
    path("manage/samples/<int:sample_id>/send/", samples.sample_send, name="sample_send"),
    path(
        "manage/samples/<int:sample_id>/hand-out/",
        samples.sample_hand_out,
        name="sample_hand_out",
    ),
    # workbench: appointment slots
    path("manage/slots/", slots.staff_slots, name="slots"),
    path("manage/slots/new/", slots.staff_slots_new, name="slots_new"),
    path("manage/slots/<int:slot_id>/delete/", slots.staff_slot_delete, name="slot_delete"),
    path(
        "manage/appointments/<int:appointment_id>/cancel/",
        slots.staff_appointment_cancel,
        name="staff_appointment_cancel",
    ),
    # workbench: follow-up visits (HM 4.3.4.2)
    path("manage/follow-ups/", follow_ups.follow_up_queue, name="follow_ups"),
    path("manage/follow-ups/<int:follow_up_id>/", follow_ups.follow_up_detail, name="follow_up"),
]
