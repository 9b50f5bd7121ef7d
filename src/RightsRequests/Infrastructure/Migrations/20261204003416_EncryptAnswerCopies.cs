using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.RightsRequests.Infrastructure.Migrations
{
    /// <summary>
    /// The subject's records in an answer copy become one AES-GCM ciphertext (bytea, <c>records_encrypted</c>), and a
    /// request records when its copies were removed. A migration has no key, so it cannot encrypt the copies already
    /// written: it deletes them instead, marks their requests as having lost their copies (answer and export then say
    /// 410, make the request again) and says so in each request's audit trail. Deleting the rows before the type change
    /// lets the table's rewrite leave no clear copy in its files (WAL and backups age out on their own schedule).
    /// </summary>
    public partial class EncryptAnswerCopies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "answer_copies_purged_at",
                table: "rights_requests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.Sql("""
                INSERT INTO request_audit_entries (request_id, occurred_at, action, actor, reason, from_status, to_status, detail)
                SELECT r.id, now(), 'AnswerCopiesPurged', 'system', 'answer copies written in clear, removed when copies became encrypted at rest',
                       r.status, r.status, c.copies || ' register copies removed'
                FROM rights_requests r
                JOIN (SELECT request_id, count(*) AS copies FROM register_data_copies GROUP BY request_id) c ON c.request_id = r.id;
                """);
            migrationBuilder.Sql("UPDATE rights_requests SET answer_copies_purged_at = now() WHERE id IN (SELECT request_id FROM register_data_copies);");
            migrationBuilder.Sql("DELETE FROM register_data_copies;");

            migrationBuilder.RenameColumn(
                name: "records",
                table: "register_data_copies",
                newName: "records_encrypted");

            // No cast from jsonb to bytea exists; the table is empty by now.
            migrationBuilder.Sql("ALTER TABLE register_data_copies ALTER COLUMN records_encrypted TYPE bytea USING NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Without the key the ciphertexts cannot become clear JSON again: the copies go.
            migrationBuilder.Sql("DELETE FROM register_data_copies;");
            migrationBuilder.Sql("ALTER TABLE register_data_copies ALTER COLUMN records_encrypted TYPE jsonb USING NULL;");

            migrationBuilder.RenameColumn(
                name: "records_encrypted",
                table: "register_data_copies",
                newName: "records");

            migrationBuilder.DropColumn(
                name: "answer_copies_purged_at",
                table: "rights_requests");
        }
    }
}
