"""The first privacy notice, version 2026-11 (PIPL art. 7, 13-17, 44-50).

A notice is never edited: a new version is a new row (and a new migration or
an admin entry), so each Consent points at the text the user accepted.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations

VERSION = "2026-11"
PUBLISHED_AT = dt.datetime(2026, 11, 1, tzinfo=ZoneInfo("Asia/Shanghai"))

TEXT = """\
个人信息保护告知书

本平台由所在地市场监督管理部门主办，向企业和个人提供计量、标准化、认证认可、检验检测、质量管理、特种设备、知识产权等质量基础设施"一站式"服务。我们依据《中华人民共和国个人信息保护法》《中华人民共和国网络安全法》《中华人民共和国数据安全法》处理您的个人信息。请您在注册前仔细阅读本告知书；勾选同意即表示您已知悉并同意下列内容。

一、我们收集哪些信息
1. 注册账户时：手机号码、显示名称、登录密码（仅保存不可逆的加密摘要）、账户类型（个人或企业）、所在地区。
2. 实名认证时（"后台实名、前台自愿"）：个人用户的真实姓名、居民身份证号码及身份证扫描件；企业用户的企业名称、统一社会信用代码、营业执照、资质证书、诚信承诺书等企业证照材料，以及经办人的姓名和联系方式。
3. 使用服务时：您发布的需求、咨询、订单、评价、投诉及上传的材料。
4. 安全所需：登录时间、IP 地址、浏览器信息和操作记录（审计日志）。
其中，居民身份证号码和身份证扫描件属于敏感个人信息，我们仅在实名认证所必需的范围内处理，并在您提交认证时再次单独征得您的同意。未满十四周岁的未成年人不应自行注册，应由监护人代为办理。

二、我们为什么使用这些信息
1. 核验手机号码、创建和保护您的账户；
2. 按照《质量基础设施"一站式"服务与建设规范》等要求进行实名认证和审核；
3. 受理、分派、办理您的服务需求，向您发送办理进度和结果通知（站内信、短信）；
4. 处理投诉，开展服务评价和监督；
5. 保障平台安全、防范欺诈，依法留存日志；
6. 在去标识化、汇总后形成统计数据，用于改进服务和监督管理。
我们不会将您的信息用于上述目的以外的用途；确需用于新目的时，将重新告知并征得您的同意。

三、我们与谁共享
仅在办理您提出的服务所必需时，向您选择或经您同意的入驻服务机构、服务站点提供必要信息（如联系人、联系方式、需求内容）；法律法规要求时，向有权机关提供。我们不出售您的个人信息，也不向境外提供。您的企业信息未经授权不会被用于其他用途。

四、我们如何保存和保护
您的信息存储于中华人民共和国境内。手机号码、身份证号码等信息加密存储，页面上默认以部分遮盖的方式显示；只有经授权的审核人员在履行职责时可以查看完整信息，所有查看和修改均记入审计日志。我们采取访问控制、加密传输、安全审计等措施，防止信息泄露、篡改和丢失；一旦发生个人信息安全事件，我们将依法及时告知您并向主管部门报告。

五、保存多久
账户信息和实名认证材料在您的账户存续期间保存。账户注销后，我们将在15个工作日内删除或匿名化处理您的个人信息；法律、行政法规另有规定的除外（例如，网络日志依法留存不少于六个月，已形成的办理和投诉记录按档案管理规定保存）。

六、您的权利
依照《个人信息保护法》，您有权：
1. 查阅、复制您的个人信息，并在符合条件时请求转移至您指定的个人信息处理者；
2. 更正、补充不准确或不完整的信息；
3. 在法定情形下请求删除您的个人信息；
4. 撤回您的同意（撤回不影响撤回前已进行的处理，但可能导致部分服务无法继续提供）；
5. 注销账户；
6. 要求我们对个人信息处理规则进行解释说明。
您可以在"我的账户"页面查看账户信息，或通过下列方式提出申请。我们将在核验您的身份后15个工作日内答复。

七、联系我们
如对本告知书或个人信息处理有任何疑问、意见或投诉，请拨打本平台页面底部公布的服务和投诉电话，或通过站内信与服务中心联系。您也可以向网信、市场监督管理等部门投诉举报。

八、告知书的更新
本告知书更新时，我们将发布新版本并注明版本号和发布日期；涉及您权利的重大变化，我们将通过站内信等方式通知您，并在必要时重新征得您的同意。

版本：2026-11
发布日期：2026年11月1日
"""


def create(apps, schema_editor):
    PrivacyNotice = apps.get_model("accounts", "PrivacyNotice")
    PrivacyNotice.objects.get_or_create(
        version=VERSION, defaults={"text": TEXT, "published_at": PUBLISHED_AT}
    )


def remove(apps, schema_editor):
    PrivacyNotice = apps.get_model("accounts", "PrivacyNotice")
    Consent = apps.get_model("accounts", "Consent")
    if not Consent.objects.filter(notice__version=VERSION).exists():
        PrivacyNotice.objects.filter(version=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_sms_codes_privacy_consent"),
    ]

    operations = [migrations.RunPython(create, remove)]
